package dev.routerstudio.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external tool (apt-get, mksquashfs, depmod, qemu-mipsel-static) with its output
 * in the build log; watches the cancel flag and destroys the process tree when cancelled.
 */
public final class ToolRunner {

    record Result(int exitCode, List<String> output) {
    }

    /** Environment variable carrying the build's work dir into every tool the pipeline runs. */
    public static final String OWNER_VARIABLE = "ROUTER_STUDIO_BUILD";

    /** The studio process that started the tool: its tools are orphans only once it is gone. */
    public static final String OWNER_PID_VARIABLE = "ROUTER_STUDIO_PID";

    private ToolRunner() {
    }

    static Result run(BuildContext ctx, Path dir, Map<String, String> env, boolean logOutput, List<String> command) {
        ctx.checkCancelled();
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("TMPDIR", ctx.workDir().toAbsolutePath().toString());
        // marks the tool and everything it starts, so a studio that was killed can find them later
        pb.environment().put(OWNER_VARIABLE, ctx.workDir().toAbsolutePath().toString());
        pb.environment().put(OWNER_PID_VARIABLE, Long.toString(ProcessHandle.current().pid()));
        if (env != null) {
            pb.environment().putAll(env);
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new PipelineException("cannot start " + command.get(0) + ": " + e.getMessage());
        }
        List<String> out = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (out) {
                        out.add(line);
                    }
                    if (logOutput) {
                        ctx.log(line);
                    }
                }
            } catch (IOException ignored) {
                // the process was destroyed; its exit status tells the rest
            }
        }, "tool-output");
        reader.setDaemon(true);
        reader.start();
        try {
            while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
                if (ctx.cancelled().get() || Thread.currentThread().isInterrupted()) {
                    destroy(p);
                    throw new BuildCancelledException();
                }
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            destroy(p);
            Thread.currentThread().interrupt();
            throw new BuildCancelledException();
        }
        synchronized (out) {
            return new Result(p.exitValue(), List.copyOf(out));
        }
    }

    private static void destroy(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
