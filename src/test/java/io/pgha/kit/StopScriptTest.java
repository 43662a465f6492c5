package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** stop-cluster.sh removes the node's containers, the agent/hook too when it exists, never volumes. */
class StopScriptTest {

    @ParameterizedTest
    @CsvSource({"1,pgha-agent,agent.vm1.yml", "1,someone-else,", "haproxy,pgha-hook,hook.haproxy.yml",
            "haproxy,pgha-agent,"})
    void downIncludesTheOverlayOnlyWhenItsContainerExists(String target, String existing, String overlay,
            @TempDir Path tmp) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path calls = tmp.resolve("calls");
        for (String tool : new String[] {"docker", "docker-compose"}) {
            Path stub = bin.resolve(tool);
            Files.writeString(stub, "#!/bin/sh\necho \"" + tool + " $*\" >> '" + calls + "'\n"
                    + "[ \"$1\" = ps ] && echo etcd1 && echo " + existing + "\nexit 0\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Map<String, String> env = Kit.cleanEnv();
        env.put("PATH", bin + ":" + env.get("PATH"));
        String base = target.equals("haproxy") ? "docker-compose.haproxy.yml" : "docker-compose.vm" + target + ".yml";
        Path envFile = Kit.DEPLOY.resolve(target.equals("haproxy") ? ".env.haproxy.example" : ".env.vm" + target + ".example");

        Kit.run(env, Kit.SCRIPTS.resolve("stop-cluster.sh").toString(), "--vm", target, "--env-file", envFile.toString())
                .assertOk("stop-cluster.sh --vm " + target);

        String compose = "docker-compose --env-file " + envFile + " -f " + Kit.DEPLOY.resolve(base)
                + (overlay == null ? "" : " -f " + Kit.OVERLAYS.resolve(overlay));
        assertEquals("docker ps -a --format {{.Names}}\n" + compose + " down\n", Kit.text(calls));
    }
}
