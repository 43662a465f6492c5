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
import java.time.Clock;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * When the members {@link RenderPolicy} lists change (a member added, re-addressed, or gone for longer than
 * pgha.hook.render.keep-departed): render the config from the template, check the candidate with
 * {@code haproxy -c}, and only if it passes dump the server states (so the reload keeps pushed states; members new
 * to HAProxy are added DOWN, see {@link ServerStateSeed}), move
 * it into place and run the reload command. A candidate that fails the check is deleted, the running config
 * is not touched, and the failure is logged as an error and counted (pgha_hook_actions{kind=render}).
 */
public final class ConfigRenderer implements HookRunner.EveryRound {

    private static final Logger LOG = Logger.getLogger(ConfigRenderer.class);

    private final Path template;
    private final Path output;
    private final HookConfig.Render settings;
    private final RuntimeApiClient haproxy;
    private final AgentMetrics metrics;
    private final RenderPolicy policy;
    private final Clock clock;
    // Only the hook thread touches these.
    private String rendered;
    private Map<String, RenderPolicy.Kept> kept = Map.of();
    private List<String> gone = List.of();

    public ConfigRenderer(Path template, Path output, HookConfig.Render settings, RuntimeApiClient haproxy,
            AgentMetrics metrics, Clock clock) {
        this.template = template;
        this.output = output;
        this.settings = settings;
        this.haproxy = haproxy;
        this.metrics = metrics;
        this.policy = new RenderPolicy(settings.keepDeparted());
        this.clock = clock;
    }

    @Override
    public void accept(ClusterView view) {
        if (view.members().isEmpty()) {
            return; // an empty view is etcd unread or unanswered, never a cluster without members
        }
        RenderPolicy.Decision d = policy.decide(kept, view.members().values(), clock.instant());
        kept = d.next();
        String membership = ServerLines.membership(d.render());
        if (!d.gone().equals(gone)) {
            LOG.infof("render: %s", d.reason());
            gone = d.gone();
        }
        if (membership.equals(rendered)) {
            return;
        }
        try {
            String text = ServerLines.render(Files.readString(template), d.render());
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
                        ServerStateSeed.withNewServersDown(haproxy.showServersState(), d.render()));
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
