package dev.routerstudio;

import dev.routerstudio.build.BuildQueueFullException;
import dev.routerstudio.lab.LabException;
import dev.routerstudio.lab.LabLimitException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/** A feature exception is its own problem: status, title, the message as detail, Retry-After when it passes. */
class ProblemExceptionTest {

    @Test
    void refusalsThatPassSayWhenToTryAgain() {
        LabLimitException limit = new LabLimitException("the studio runs 2 labs already");
        assertThat(limit.getStatusCode().value()).isEqualTo(429);
        assertThat(limit.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("60");
        assertThat(limit.getBody().getTitle()).isEqualTo("Too many labs");
        assertThat(limit.getBody().getDetail()).isEqualTo("the studio runs 2 labs already");

        BuildQueueFullException full = new BuildQueueFullException("3 of your builds are queued", 42);
        assertThat(full.getStatusCode().value()).isEqualTo(429);
        assertThat(full.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("42");

        LabException refused = new LabException("build 7 did not succeed");
        assertThat(refused.getStatusCode().value()).isEqualTo(409);
        assertThat(refused.getHeaders().containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
        assertThat(refused.getMessage()).isEqualTo("build 7 did not succeed");
    }
}
