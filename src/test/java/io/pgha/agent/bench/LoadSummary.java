package io.pgha.agent.bench;

import io.pgha.agent.bench.LoadBench.Row;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** LoadBench's summary: one line per event over its rounds, then the switchovers side by side. */
final class LoadSummary {

    static void print(List<Row> rows, List<String> names) {
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "| %-18s | %2s | %-17s | %-26s | %-16s | %-4s | %-11s |",
                "event", "n", "outage s med/max", "tps before/during/after", "reads failed/all", "lost", "lag MB max"));
        System.out.println("|---|---|---|---|---|---|---|");
        for (String n : names) {
            List<Row> rs = rows.stream().filter(r -> r.event().equals(n)).toList();
            if (rs.isEmpty()) {
                continue;
            }
            System.out.println(String.format(Locale.ROOT, "| %-18s | %2d | %-17s | %-26s | %-16s | %-4d | %-11.1f |",
                    LoadBench.EVENTS.get(n).title(), rs.size(),
                    String.format(Locale.ROOT, "%.2f / %.2f", median(rs, Row::outageS), max(rs, Row::outageS)),
                    String.format(Locale.ROOT, "%.0f / %.0f / %.0f", median(rs, Row::tpsBefore), median(rs, Row::tpsDuring),
                            median(rs, Row::tpsAfter)),
                    rs.stream().mapToInt(Row::readsFailed).sum() + "/" + rs.stream().mapToInt(Row::reads).sum(),
                    rs.stream().mapToInt(Row::lost).sum(), max(rs, r -> r.lagPeak() / 1048576.0)));
        }
        double pgha = median(rows.stream().filter(r -> r.event().equals("pgha")).toList(), Row::outageS);
        double ctl = median(rows.stream().filter(r -> r.event().equals("patronictl")).toList(), Row::outageS);
        double seed = median(rows.stream().filter(r -> r.event().equals("patronictl-seed")).toList(), Row::outageS);
        if (pgha > 0 && ctl > 0) {
            System.out.printf(Locale.ROOT, "%nswitchover write outage, medians: pgha %.2f s, patronictl %.2f s (pgha %.2fx)%s%n",
                    pgha, ctl, pgha / ctl, seed > 0 ? String.format(Locale.ROOT, ", patronictl on the seed's HAProxy %.2f s (pgha %.2fx)",
                            seed, pgha / seed) : "");
        }
        System.out.printf("acknowledged writes lost in all: %d%n", rows.stream().mapToInt(Row::lost).sum());
    }

    static double median(List<Row> rs, ToDoubleFunction<Row> f) {
        if (rs.isEmpty()) {
            return 0;
        }
        List<Double> v = new ArrayList<>(rs.stream().map(f::applyAsDouble).toList());
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    static double max(List<Row> rs, ToDoubleFunction<Row> f) {
        return rs.stream().mapToDouble(f).max().orElse(0);
    }

    private LoadSummary() {
    }
}
