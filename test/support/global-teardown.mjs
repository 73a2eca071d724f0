/** Stops DynamoDB Local and waits for the JVM to exit, so no `java` keeps its port. */
export default async function globalTeardown() {
  await globalThis.__dynamo?.stop();
}
