package io.pgha.agent.health;

/**
 * One routing decision for one role.
 *
 * @param weight percentage 1..99 when {@code word} is WEIGHT, else 100 for UP/READY and 0 otherwise
 * @param cause  a short stable key ("lag-weight", "split-brain"): changes of word or cause are logged, while
 *               the reason's numbers change every cycle and would flood the log
 * @param reason a sentence for humans: logged, shown on HAProxy's stats page, asserted in tests
 */
public record Verdict(Word word, int weight, String cause, String reason) {

    public static Verdict up(String cause, String reason) {
        return new Verdict(Word.UP, 100, cause, reason);
    }

    public static Verdict down(String cause, String reason) {
        return new Verdict(Word.DOWN, 0, cause, reason);
    }

    public static Verdict drain(String cause, String reason) {
        return new Verdict(Word.DRAIN, 0, cause, reason);
    }

    public static Verdict maint(String cause, String reason) {
        return new Verdict(Word.MAINT, 0, cause, reason);
    }

    public static Verdict weight(int percent, String cause, String reason) {
        if (percent < 1 || percent > 99) {
            throw new IllegalArgumentException("weight must be 1..99, got " + percent);
        }
        return new Verdict(Word.WEIGHT, percent, cause, reason);
    }

    /** "up", "down", "50%": the word as HAProxy and humans read it. */
    public String label() {
        return word == Word.WEIGHT ? weight + "%" : word.wire();
    }

    public boolean sameDecision(Verdict other) {
        return other != null && word == other.word && cause.equals(other.cause);
    }
}
