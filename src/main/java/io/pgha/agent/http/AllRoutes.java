package io.pgha.agent.http;

import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

/** Registers every package's {@link Routes} on Quarkus's Vert.x router when it is created. */
@Singleton
public class AllRoutes {

    private final Replies replies;
    private final AdminGuard admin;
    private final Instance<Routes> routes;

    public AllRoutes(Replies replies, AdminGuard admin, Instance<Routes> routes) {
        this.replies = replies;
        this.admin = admin;
        this.routes = routes;
    }

    void register(@Observes Router router) {
        Endpoints on = new Endpoints(router, replies, admin);
        for (Routes r : routes) {
            r.register(on);
        }
    }
}
