package io.pgha.agent.http;

/**
 * One package's HTTP endpoints. The bean that owns what they serve implements it (or a producer returns it), and
 * {@link AllRoutes} registers every one on Quarkus's router at startup, so no package repeats the registering.
 */
@FunctionalInterface
public interface Routes {

    void register(Endpoints on);
}
