package io.pgha.agent.etcd;

/** Patroni's etcd v3 key names under {@code <namespace>/<scope>/}, in one place. */
public record KeyLayout(String namespace, String scope) {

    public String prefix() {
        return namespace.replaceAll("/+$", "") + "/" + scope + "/";
    }

    /** Value: the member name holding the leader lock. */
    public String leader() {
        return prefix() + "leader";
    }

    public String member(String name) {
        return prefix() + "members/" + name;
    }
}
