package dev.routerstudio.lab.web;

import dev.routerstudio.lab.link.LinkChange;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** A link change with bad fields: 400 problem+json listing each field and what to send instead. */
public class LinkChangeRejectedException extends RuntimeException implements ErrorResponse {

    private final transient List<LinkChange.FieldError> errors;

    public LinkChangeRejectedException(LinkChange.InvalidChangeException e) {
        super(e.getMessage());
        this.errors = e.errors();
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return HttpStatus.BAD_REQUEST;
    }

    @Override
    public ProblemDetail getBody() {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, errors.size() == 1 ? getMessage()
                : errors.size() + " fields are invalid; see errors");
        p.setTitle("Invalid link change");
        p.setType(URI.create("/problems/invalid-link-change"));
        p.setProperty("errors", errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList());
        return p;
    }
}
