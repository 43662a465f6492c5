package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** docs/operations.md covers the seed guide's topics and its commands refer to what the kit has. */
class OperationsDocTest {

    static final Path DOC = Kit.ROOT.resolve("docs/operations.md");

    static String doc() {
        assertTrue(Files.isRegularFile(DOC), DOC + " is missing");
        return Kit.text(DOC);
    }

    @Test
    void coversTheSeedGuidesTopics() {
        List<String> headings = doc().lines().filter(l -> l.startsWith("## ")).map(l -> l.substring(3).toLowerCase()).toList();
        for (String topic : List.of("prerequisites", "ports and firewall", "quick start", "verify etcd and patroni",
                "connections", "switchover and failover", "logs", "restarting", "scaling", "backup", "reinitialize",
                "troubleshooting", "tls and hardening")) {
            assertTrue(headings.stream().anyMatch(h -> h.contains(topic)), "no section on '" + topic + "' in " + headings);
        }
    }

    @Test
    void referencedFilesExist() {
        String doc = doc().replaceAll("[\\w./-]*\\*[\\w./*-]*", ""); // globs such as deploy/.env.*
        Matcher m = Pattern.compile("(?<![\\w/.-])((?:deploy|compose-overlays|haproxy|docs)/[\\w./-]*[\\w])").matcher(doc);
        Set<String> checked = new TreeSet<>();
        while (m.find()) {
            String path = m.group(1).replace("vmN", "vm1").replace("etcdN", "etcd1");
            if (path.matches("deploy/\\.env\\.(vm[123]|haproxy|dev)")) {
                path += ".example"; // the real env files are created from these and never committed
            }
            checked.add(path);
            assertTrue(Files.exists(Kit.ROOT.resolve(path)), "docs/operations.md refers to missing " + path);
        }
        assertTrue(checked.contains("deploy/docker-compose.vm1.yml") && checked.contains("deploy/scripts/start-cluster.sh"), checked.toString());
    }

    /** Each "docker-compose --env-file E -f F ..." of the guide renders with E's example. */
    @Test
    void composeCommandsRender() {
        Matcher m = Pattern.compile("docker-compose --env-file (\\S+)((?: -f \\S+)+)").matcher(doc());
        int count = 0;
        while (m.find()) {
            List<Path> files = new ArrayList<>();
            for (String f : m.group(2).trim().split("\\s*-f\\s+")) {
                if (!f.isBlank()) {
                    files.add(Kit.ROOT.resolve(f.replace("vmN", "vm1")));
                }
            }
            Kit.composeConfig(Kit.ROOT.resolve(m.group(1) + ".example"), files.toArray(Path[]::new));
            count++;
        }
        assertTrue(count >= 3, "expected the guide to show its compose commands, found " + count);
    }

    /** Options given to the scripts in the guide are options the scripts have. */
    @Test
    void scriptOptionsExist() {
        Matcher m = Pattern.compile("deploy/scripts/([\\w-]+\\.sh)([^\\n`;|&]*)").matcher(doc());
        int count = 0;
        while (m.find()) {
            String usage = Kit.run(Kit.cleanEnv(), Kit.SCRIPTS.resolve(m.group(1)).toString(), "--help")
                    .assertOk(m.group(1) + " --help").output();
            Matcher option = Pattern.compile("--[a-z-]+").matcher(m.group(2));
            while (option.find()) {
                assertTrue(usage.contains(option.group()), m.group(1) + " has no option " + option.group());
            }
            count++;
        }
        assertTrue(count >= 5, "found only " + count + " script invocations");
    }

    /** Container and volume names in the guide's docker commands are the ones the compose files create. */
    @Test
    void containerAndVolumeNamesExist() {
        String composeText = Kit.text(Kit.vmCompose("1")) + Kit.text(Kit.vmCompose("2")) + Kit.text(Kit.vmCompose("3"))
                + Kit.text(Kit.DEPLOY.resolve("docker-compose.haproxy.yml"));
        Matcher m = Pattern.compile("docker (?:exec(?: -it| -i)?|logs -f|cp|kill -s \\w+) ([a-z0-9-]+)").matcher(doc());
        int count = 0;
        while (m.find()) {
            assertTrue(composeText.contains("container_name: " + m.group(1)), "no container named " + m.group(1));
            count++;
        }
        assertTrue(count >= 10, "found only " + count + " docker commands");
        Matcher v = Pattern.compile("docker volume rm ([\\w-]+)").matcher(doc());
        while (v.find()) {
            String name = v.group(1).replace("etcdN", "etcd1");
            assertTrue(composeText.contains("name: " + name), "no volume named " + name);
        }
        assertFalse(doc().contains("admin/admin123"), "the seed's default credentials must not be documented as usable");
    }
}
