/**
 * The HTTP surface: the dashboard, the REST API over interactive queries, Prometheus metrics and health. Uses
 * {@code service} and the packages below it.
 */
package dev.streamcast.ops;
