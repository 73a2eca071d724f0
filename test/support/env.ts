// Quiet structured logs in tests unless asked for (LOG_LEVEL=INFO npm test).
process.env.POWERTOOLS_LOG_LEVEL = process.env.LOG_LEVEL ?? 'SILENT';
process.env.POWERTOOLS_SERVICE_NAME = 'flowplane-test';
