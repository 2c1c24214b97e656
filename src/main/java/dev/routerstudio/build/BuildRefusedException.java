package dev.routerstudio.build;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

/** The profile cannot be built as it stands; the message says what to do. */
public class BuildRefusedException extends RuntimeException implements ErrorResponse {

    public BuildRefusedException(String message) {
        super(message);
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return HttpStatus.CONFLICT;
    }

    @Override
    public ProblemDetail getBody() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(getStatusCode(), getMessage());
        problem.setTitle("Profile cannot be built yet");
        return problem;
    }
}
