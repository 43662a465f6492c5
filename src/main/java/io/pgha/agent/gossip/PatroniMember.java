package io.pgha.agent.gossip;

import java.net.URI;

/** One member as Patroni publishes it under {@code /service/<scope>/members/<name>} (the fields pgha reads). */
public record PatroniMember(String name, String role, String state, String host, Integer port, String apiUrl,
        Long timeline, Long lsn) {

    /** host and port from Patroni's conn_url (postgres://10.0.0.1:5432/postgres); null when unparseable. */
    static String host(String connUrl) {
        try {
            return connUrl == null ? null : URI.create(connUrl).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Integer port(String connUrl) {
        try {
            int p = connUrl == null ? -1 : URI.create(connUrl).getPort();
            return p < 0 ? null : p;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
