package io.pgha.agent.maintenance;

import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.http.Endpoints;
import io.pgha.agent.http.Exchange;
import io.pgha.agent.http.Routes;
import io.vertx.core.http.HttpMethod;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Creates and removes the flag file; decides nothing about verdicts (HealthPolicy does, from the file's
 * presence, at the next cycle: within one pgha.loop.interval). Local file operations, no timeout needed.
 * {@code POST|DELETE /maintenance}: enter or leave maintenance; admin token required.
 */
@Singleton
public class MaintenanceFlag implements Routes {

    private static final Logger LOG = Logger.getLogger(MaintenanceFlag.class);

    static final String NOT_SET = "pgha.maintenance.flag-file [PGHA_MAINTENANCE_FLAG_FILE] is not set, "
            + "so there is no flag to change";

    private final Optional<Path> file;

    @Inject
    public MaintenanceFlag(AgentConfig config) {
        this(config.maintenance().flagFile());
    }

    MaintenanceFlag(Optional<Path> file) {
        this.file = file;
    }

    @Override
    public void register(Endpoints on) {
        on.admin(HttpMethod.POST, "/maintenance", x -> answer(x, enter()));
        on.admin(HttpMethod.DELETE, "/maintenance", x -> answer(x, leave()));
    }

    private static void answer(Exchange x, MaintenanceChange change) {
        LOG.info(change.reason());
        x.text(change.status(), change.reason() + "\n");
    }

    public MaintenanceChange enter() {
        if (file.isEmpty()) {
            return new MaintenanceChange(409, NOT_SET);
        }
        Path f = file.get();
        try {
            Files.createFile(f);
            return new MaintenanceChange(200, "maintenance on: created " + f
                    + "; every role answers maint/drain from the next cycle");
        } catch (FileAlreadyExistsException e) {
            return new MaintenanceChange(200, "maintenance already on: " + f + " exists");
        } catch (IOException e) {
            return new MaintenanceChange(500, "cannot create " + f + ": " + e.getClass().getSimpleName());
        }
    }

    public MaintenanceChange leave() {
        if (file.isEmpty()) {
            return new MaintenanceChange(409, NOT_SET);
        }
        Path f = file.get();
        try {
            return Files.deleteIfExists(f)
                    ? new MaintenanceChange(200, "maintenance off: removed " + f
                            + "; verdicts follow the probes again from the next cycle")
                    : new MaintenanceChange(200, "maintenance already off: " + f + " does not exist");
        } catch (IOException e) {
            return new MaintenanceChange(500, "cannot remove " + f + ": " + e.getClass().getSimpleName());
        }
    }
}
