/**
 * Maintenance over HTTP: {@code POST /maintenance} creates the flag file ({@code pgha.maintenance.flag-file})
 * that the health loop already reads, {@code DELETE /maintenance} removes it. The file stays the single source
 * of truth, so an operator with a shell ({@code touch}/{@code rm}) and one with curl see and change the same
 * state, and a restarted agent keeps the node in maintenance. Both endpoints need the admin token.
 */
package io.pgha.agent.maintenance;
