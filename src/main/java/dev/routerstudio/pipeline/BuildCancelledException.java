package dev.routerstudio.pipeline;

/** The build was cancelled (flag or thread interrupt); child processes were destroyed. */
public class BuildCancelledException extends PipelineException {

    public BuildCancelledException() {
        super("build cancelled");
    }
}
