package io.pgha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Imports point one way for config: what the config package uses (the features' settings and their checks, the
 * wording helpers in io.pgha.agent.setting) never uses config back, directly or through other classes. Read from
 * the sources: imports, fully qualified names in code and same-package names; comments and strings do not count.
 */
class ConfigImportsTest {

    private static final String BASE = "io.pgha.agent.";
    private static final Pattern IMPORT = Pattern.compile("import\\s+(?:static\\s+)?io\\.pgha\\.agent\\.([\\w.]+)\\s*;");
    private static final Pattern QUALIFIED = Pattern.compile("\\bio\\.pgha\\.agent\\.((?:[a-z]\\w*\\.)+[A-Z]\\w*)");
    private static final Pattern NAME = Pattern.compile("\\b[A-Z]\\w*\\b");

    /** Every main class (by file) to the project classes its code names. */
    static Map<String, Set<String>> uses() throws IOException {
        Path root = Path.of("src/main/java/io/pgha/agent");
        Map<String, String> code = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String rel = root.relativize(f).toString();
                if (!rel.endsWith("package-info.java") && rel.contains("/")) {
                    code.put(rel.substring(0, rel.length() - 5).replace('/', '.'), codeOnly(Files.readString(f)));
                }
            }
        }
        Map<String, Set<String>> uses = new HashMap<>();
        for (Map.Entry<String, String> e : code.entrySet()) {
            String cls = e.getKey();
            String pkg = cls.substring(0, cls.lastIndexOf('.'));
            Set<String> used = new TreeSet<>();
            Matcher m = IMPORT.matcher(e.getValue());
            while (m.find()) {
                used.add(topLevel(m.group(1)));
            }
            m = QUALIFIED.matcher(e.getValue());
            while (m.find()) {
                used.add(topLevel(m.group(1)));
            }
            m = NAME.matcher(e.getValue());
            while (m.find()) {
                if (code.containsKey(pkg + "." + m.group())) {
                    used.add(pkg + "." + m.group());
                }
            }
            used.remove(cls);
            used.retainAll(code.keySet());
            uses.put(cls, used);
        }
        return uses;
    }

    @Test
    void whatConfigUsesNeverUsesConfigBack() throws IOException {
        Map<String, Set<String>> uses = uses();
        List<String> backImports = new ArrayList<>();
        for (String cls : uses.keySet()) {
            if (!cls.startsWith("config.")) {
                continue;
            }
            for (String used : uses.get(cls)) {
                if (!used.startsWith("config.")) {
                    pathBack(uses, cls, used).ifPresent(backImports::add);
                }
            }
        }
        assertEquals(List.of(), backImports, "these lead from config to a class that leads back to config");
    }

    @Test
    void theWordingHelpersAreALeaf() throws IOException {
        Map<String, Set<String>> uses = uses();
        assertTrue(uses.containsKey("setting.Setting"));
        uses.forEach((cls, used) -> {
            if (cls.startsWith("setting.")) {
                assertTrue(used.stream().allMatch(u -> u.startsWith("setting.")), cls + " uses " + used);
            }
        });
        // The features' settings checks word problems with the leaf, not with config.
        for (String check : List.of("fastpath.FastPathConfig", "reinit.ReinitConfig", "gossip.GossipConfig",
                "hook.HookConfig", "backup.BackupConfigCheck", "security.AdminCheck")) {
            assertTrue(uses.get(check).contains("setting.Setting"), check + " uses " + uses.get(check));
        }
    }

    @Test
    void aBackImportIsFound() {
        Map<String, Set<String>> uses = Map.of("config.ConfigCheck", Set.of("fastpath.FastPathConfig"),
                "fastpath.FastPathConfig", Set.of("setting.Setting", "fastpath.Other"),
                "fastpath.Other", Set.of("config.ConfigCheck"), "setting.Setting", Set.of());
        assertEquals("config.ConfigCheck -> fastpath.FastPathConfig -> fastpath.Other -> config.ConfigCheck",
                pathBack(uses, "config.ConfigCheck", "fastpath.FastPathConfig").orElseThrow());
        assertEquals(Set.of("config.AgentConfig", "setting.Setting"), parse("""
                import io.pgha.agent.config.AgentConfig; // io.pgha.agent.health.Verdict
                /* {@link io.pgha.agent.gossip.ClusterView} */ class X {
                    String s = "io.pgha.agent.hook.HookConfig"; boolean b = io.pgha.agent.setting.Setting.positive(d);
                }"""));
    }

    private static Set<String> parse(String source) {
        Set<String> used = new TreeSet<>();
        Matcher m = IMPORT.matcher(codeOnly(source));
        while (m.find()) {
            used.add(topLevel(m.group(1)));
        }
        m = QUALIFIED.matcher(codeOnly(source));
        while (m.find()) {
            used.add(topLevel(m.group(1)));
        }
        return used;
    }

    /** The shortest chain from {@code from} through {@code first} back into config, if there is one. */
    private static java.util.Optional<String> pathBack(Map<String, Set<String>> uses, String from, String first) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> todo = new ArrayDeque<>(List.of(first));
        cameFrom.put(first, from);
        while (!todo.isEmpty()) {
            String c = todo.removeFirst();
            for (String next : uses.getOrDefault(c, Set.of())) {
                if (cameFrom.containsKey(next)) {
                    continue;
                }
                cameFrom.put(next, c);
                if (next.startsWith("config.")) {
                    List<String> chain = new ArrayList<>(List.of(next));
                    for (String at = c; !at.equals(from); at = cameFrom.get(at)) {
                        chain.add(0, at);
                    }
                    chain.add(0, from);
                    return java.util.Optional.of(String.join(" -> ", chain));
                }
                todo.addLast(next);
            }
        }
        return java.util.Optional.empty();
    }

    /** fastpath.FastPathConfig.Settings or a static member: the top-level class, relative to io.pgha.agent. */
    private static String topLevel(String qualified) {
        String[] parts = qualified.split("\\.");
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            out.append(out.length() == 0 ? "" : ".").append(part);
            if (Character.isUpperCase(part.charAt(0))) {
                break;
            }
        }
        return out.toString().startsWith(BASE) ? out.substring(BASE.length()) : out.toString();
    }

    /** The source with comments removed and string and character literals blanked. */
    static String codeOnly(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                while (i < source.length() && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
                out.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                i = end < 0 ? source.length() : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < source.length() && source.charAt(j) != c) {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
