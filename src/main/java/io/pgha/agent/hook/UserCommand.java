package io.pgha.agent.hook;

import io.pgha.agent.gossip.ClusterView;
import io.pgha.agent.json.Json;
import io.pgha.agent.metrics.AgentMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs the operator's pgha.hook.command ({@code sh -c}) with the view as JSON on stdin after each change. It
 * runs on the hook thread, bounded by pgha.hook.command-timeout, and its output goes to the hook's log.
 * It is told, not asked: its exit code changes nothing in routing.
 */
public final class UserCommand implements Consumer<ClusterView> {

    private static final Logger LOG = Logger.getLogger(UserCommand.class);

    private final String command;
    private final Duration timeout;
    private final Json json;
    private final AgentMetrics metrics;

    public UserCommand(String command, Duration timeout, Json json, AgentMetrics metrics) {
        this.command = command;
        this.timeout = timeout;
        this.json = json;
        this.metrics = metrics;
    }

    @Override
    public void accept(ClusterView view) {
        try {
            Process p = new ProcessBuilder(List.of("sh", "-c", command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            try (OutputStream in = p.getOutputStream()) {
                json.write(in, view);
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                metrics.hook("command", "timeout");
                LOG.warnf("hook command timed out after %d ms and was killed", timeout.toMillis());
                return;
            }
            metrics.hook("command", p.exitValue() == 0 ? "ok" : "failed");
            if (p.exitValue() != 0) {
                LOG.warnf("hook command exited %d", p.exitValue());
            }
        } catch (IOException e) {
            metrics.hook("command", "error");
            LOG.warnf("hook command could not run: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
