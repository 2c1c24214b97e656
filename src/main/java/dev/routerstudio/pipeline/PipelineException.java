package dev.routerstudio.pipeline;

/** A build failure with a one-line reason a person can act on. */
public class PipelineException extends RuntimeException {

    public PipelineException(String reason) {
        super(reason);
    }

    public PipelineException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
