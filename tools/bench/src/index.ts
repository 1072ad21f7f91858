export * from './bench-options.js';
export * from './bench-report.js';
export * from './end-to-end-bench.js';
export * from './relay-bench.js';
export * from './service-cpu.js';
export * from './synthetic-orders.js';
