package dev.routerstudio.lab;

/**
 * Where a check stands. seconds: how long it ran; atSeconds: when it ended, counted from the
 * router's QEMU start. detail: one line (what was proved, or what was expected and not seen).
 * excerpt: the console lines that proved it, or on failure the last console lines.
 */
public record CheckResult(String name, String title, CheckStatus status, double seconds, Double atSeconds,
                          String detail, String excerpt) {

    public static CheckResult pending(CheckScript s) {
        return new CheckResult(s.name(), s.title(), CheckStatus.PENDING, 0, null, null, null);
    }
}
