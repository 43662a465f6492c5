package io.pgha.agent.hook;

import io.pgha.agent.gossip.ClusterView;
import io.pgha.agent.metrics.AgentMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * When membership or addresses change: render the config from the template, check the candidate with
 * {@code haproxy -c}, and only if it passes dump the server states (so the reload keeps pushed states; members new
 * to HAProxy are added DOWN, see {@link ServerStateSeed}), move
 * it into place and run the reload command. A candidate that fails the check is deleted, the running config
 * is not touched, and the failure is logged as an error and counted (pgha_hook_actions{kind=render}).
 */
public final class ConfigRenderer implements Consumer<ClusterView> {

    private static final Logger LOG = Logger.getLogger(ConfigRenderer.class);

    private final Path template;
    private final Path output;
    private final HookConfig.Render settings;
    private final RuntimeApiClient haproxy;
    private final AgentMetrics metrics;
    private String rendered;

    public ConfigRenderer(Path template, Path output, HookConfig.Render settings, RuntimeApiClient haproxy,
            AgentMetrics metrics) {
        this.template = template;
        this.output = output;
        this.settings = settings;
        this.haproxy = haproxy;
        this.metrics = metrics;
    }

    @Override
    public void accept(ClusterView view) {
        String membership = ServerLines.membership(view.members().values());
        if (view.members().isEmpty() || membership.equals(rendered)) {
            return;
        }
        try {
            String text = ServerLines.render(Files.readString(template), view.members().values());
            if (Files.exists(output) && Files.readString(output).equals(text)) {
                rendered = membership;
                return;
            }
            Path candidate = output.resolveSibling(output.getFileName() + ".candidate");
            Files.writeString(candidate, text, StandardCharsets.UTF_8);
            String check = settings.checkCommand().replace("{file}", candidate.toString());
            Path checkLog = output.resolveSibling(output.getFileName() + ".check.log");
            int rc = run(check, checkLog);
            if (rc != 0) {
                Files.deleteIfExists(candidate);
                metrics.hook("render", "rejected");
                LOG.errorf("RENDERED HAPROXY CONFIG REJECTED: '%s' exited %d for members %s; the running config %s "
                        + "is kept unchanged. Its output: %s", check, rc, membership, output,
                        Files.readString(checkLog).strip().replace('\n', ' '));
                rendered = membership; // do not retry the same bad render every round
                return;
            }
            if (settings.serverStateFile().isPresent()) {
                // Members new to HAProxy are seeded DOWN: without a saved state it starts them UP (ServerStateSeed).
                Files.writeString(settings.serverStateFile().get(),
                        ServerStateSeed.withNewServersDown(haproxy.showServersState(), view.members().values()));
            }
            Files.move(candidate, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            rendered = membership;
            if (settings.reloadCommand().isPresent()) {
                int reload = run(settings.reloadCommand().get(), output.resolveSibling(output.getFileName() + ".reload.log"));
                metrics.hook("render", reload == 0 ? "reloaded" : "reload-failed");
                LOG.infof("rendered %s for members %s; reload exited %d", output, membership, reload);
            } else {
                metrics.hook("render", "written");
                LOG.infof("rendered %s for members %s (no reload command set)", output, membership);
            }
        } catch (IOException e) {
            metrics.hook("render", "error");
            LOG.errorf("rendering %s failed: %s; the running config is kept", output, e.getMessage());
        }
    }

    private int run(String command, Path log) throws IOException {
        try {
            Process p = new ProcessBuilder(List.of("sh", "-c", command)).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            Duration t = settings.commandTimeout();
            if (!p.waitFor(t.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return 124;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
