package io.pgha.agent.etcd;

/** Patroni's etcd v3 key names under {@code <namespace>/<scope>/}, in one place. */
public record KeyLayout(String namespace, String scope) {

    /** Trailing slashes go here, once: the key names are built on every watcher and probe cycle. */
    public KeyLayout {
        int end = namespace.length();
        while (end > 0 && namespace.charAt(end - 1) == '/') {
            end--;
        }
        namespace = namespace.substring(0, end);
    }

    public String prefix() {
        return namespace + "/" + scope + "/";
    }

    /** Value: the member name holding the leader lock. */
    public String leader() {
        return prefix() + "leader";
    }

    public String member(String name) {
        return prefix() + "members/" + name;
    }
}
