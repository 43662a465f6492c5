package io.pgha.agent.security;

import static io.pgha.agent.setting.Setting.bad;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** Startup check of {@code pgha.admin.*} in the style of ConfigCheck; messages never contain the token. */
public final class AdminCheck {

    /** Shorter tokens are refused: a short token can be guessed over HTTP. */
    static final int MIN_LENGTH = 16;

    private AdminCheck() {
    }

    public static List<String> problems(AdminConfig c) {
        List<String> p = new ArrayList<>();
        if (c.tokenFile().isPresent()) {
            try {
                if (Files.readString(c.tokenFile().get()).strip().length() < MIN_LENGTH) {
                    p.add(bad("pgha.admin.token-file", "must hold a token of at least " + MIN_LENGTH + " characters"));
                }
            } catch (IOException | RuntimeException e) {
                p.add(bad("pgha.admin.token-file", "cannot read " + c.tokenFile().get()));
            }
        } else if (c.token().isPresent() && c.token().get().strip().length() < MIN_LENGTH) {
            p.add(bad("pgha.admin.token", "must be at least " + MIN_LENGTH + " characters"));
        }
        return p;
    }
}
