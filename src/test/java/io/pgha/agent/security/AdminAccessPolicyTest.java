package io.pgha.agent.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The decision table of admin access; "<none>" stands for a missing header or no configured token. */
class AdminAccessPolicyTest {

    private static final String TOKEN = "0123456789abcdef0123";

    @ParameterizedTest(name = "configured={0} header=''{1}'' -> {2}")
    @CsvSource(delimiter = '|', nullValues = "<none>", value = {
        "<none>               | Bearer 0123456789abcdef0123   | 403 | admin endpoints are disabled: set pgha.admin.token-file [PGHA_ADMIN_TOKEN_FILE]",
        "0123456789abcdef0123 | <none>                        | 401 | no Authorization header",
        "0123456789abcdef0123 | '   '                         | 401 | no Authorization header",
        "0123456789abcdef0123 | Basic dXNlcjpwYXNz            | 401 | Authorization header is not a Bearer token",
        "0123456789abcdef0123 | Bearer                        | 401 | Authorization header is not a Bearer token",
        "0123456789abcdef0123 | 0123456789abcdef0123          | 401 | Authorization header is not a Bearer token",
        "0123456789abcdef0123 | Bearer 0123456789abcdef0124   | 401 | wrong admin token",
        "0123456789abcdef0123 | Bearer 0123456789abcdef012    | 401 | wrong admin token",
        "0123456789abcdef0123 | Bearer 0123456789abcdef01234  | 401 | wrong admin token",
        "0123456789abcdef0123 | Bearer 0123456789ABCDEF0123   | 401 | wrong admin token",
        "0123456789abcdef0123 | 'Bearer '                     | 401 | wrong admin token",
        "0123456789abcdef0123 | Bearer 0123456789abcdef0123   | 0   | admin token accepted",
        "0123456789abcdef0123 | bearer 0123456789abcdef0123   | 0   | admin token accepted",
    })
    void decides(String configured, String header, int status, String reason) {
        Optional<AdminToken> token = Optional.ofNullable(configured).map(AdminToken::of);
        assertEquals(new AdminAccess(status, reason), new AdminAccessPolicy(false).decide(token, header, false));
        // Over HTTPS with TLS required, the same table holds.
        assertEquals(new AdminAccess(status, reason), new AdminAccessPolicy(true).decide(token, header, true));
    }

    @ParameterizedTest
    @CsvSource({"Bearer " + TOKEN, "Bearer wrong-token-000000000", "''"})
    void withTlsRequiredPlainHttpIsRefusedWhateverTheHeader(String header) {
        assertEquals(new AdminAccess(403, "admin endpoints need HTTPS: pgha.admin.require-tls [PGHA_ADMIN_REQUIRE_TLS] is set"),
                new AdminAccessPolicy(true).decide(Optional.of(AdminToken.of(TOKEN)), header, false));
    }

    @ParameterizedTest
    @CsvSource({"'0123456789abcdef0123\n'", "'  0123456789abcdef0123\r\n'"})
    void theConfiguredTokenIgnoresSurroundingWhitespace(String configured) {
        assertEquals(0, new AdminAccessPolicy(false).decide(Optional.of(AdminToken.of(configured)),
                "Bearer " + TOKEN, false).status());
    }

    @ParameterizedTest
    @CsvSource({TOKEN})
    void theTokenNeverShowsInItsStringForm(String token) {
        assertEquals("AdminToken[****]", AdminToken.of(token).toString());
    }
}
