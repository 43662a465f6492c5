package io.pgha.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WholeNumberParamTest {

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
        "NULL,        0,   NULL",
        "'',          0,   NULL",
        "'   ',       0,   NULL",
        "30,          30,  NULL",
        "' 7 ',       7,   NULL",
        "-3,          -3,  NULL",
        "soon,        0,   query parameter wait is not a whole number: soon",
        "1.5,         0,   query parameter wait is not a whole number: 1.5",
        "99999999999, 0,   query parameter wait is not a whole number: 99999999999"})
    void parses(String raw, int value, String problem) {
        WholeNumberParam p = WholeNumberParam.parse("wait", raw, 0);
        assertEquals(value, p.value());
        assertEquals(problem, p.problem());
    }
}
