package dev.routerstudio.web;

import dev.routerstudio.account.AccountException;
import dev.routerstudio.build.BuildApiController;
import dev.routerstudio.build.BuildNotFoundException;
import dev.routerstudio.build.BuildQueueFullException;
import dev.routerstudio.build.InsufficientSpaceException;
import dev.routerstudio.build.BuildRefusedException;
import dev.routerstudio.lab.LabException;
import dev.routerstudio.lab.LabLimitException;
import dev.routerstudio.lab.web.LabNotFoundException;
import dev.routerstudio.lab.web.LabRefusedException;
import dev.routerstudio.profile.ProfileConflictException;
import dev.routerstudio.profile.ProfileNotFoundException;
import dev.routerstudio.profile.ProfileValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Turns every failure of a REST call into application/problem+json with a message a person can
 * act on. Spring's own exceptions (wrong method, media type, missing parameter) are handled by
 * the base class, so nothing the client sends can produce a bare 500.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ApiErrorHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

    /** Unknown URLs: problem+json under /api; elsewhere the container's error page (templates/error.html). */
    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
                                                                    HttpStatusCode status, WebRequest request) {
        if (request instanceof ServletWebRequest servlet && !servlet.getRequest().getRequestURI().startsWith("/api/")
                && servlet.getResponse() != null) {
            try {
                servlet.getResponse().sendError(HttpStatus.NOT_FOUND.value());
                return null;
            } catch (IOException e) {
                // the client went away; fall through to the plain answer
            }
        }
        return super.handleNoResourceFoundException(ex, headers, status, request);
    }

    /** A body cut off by {@link RequestSizeLimitFilter} is too large, not malformed. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof RequestSizeLimitFilter.TooLargeException) {
                ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, t.getMessage()
                        + " (studio.max-request-size).");
                problem.setTitle("Request too large");
                return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
            }
        }
        return super.handleHttpMessageNotReadable(ex, headers, status, request);
    }

    @ExceptionHandler(ProfileValidationException.class)
    ResponseEntity<ProblemDetail> invalid(ProfileValidationException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                e.violations().size() == 1 ? describe(e.violations().get(0).field(), e.violations().get(0).message())
                        : e.violations().size() + " fields are invalid; see errors");
        problem.setTitle("Invalid profile");
        problem.setType(URI.create("/problems/invalid-profile"));
        problem.setProperty("errors", e.violations().stream()
                .map(v -> Map.of("field", v.field(), "message", v.message())).toList());
        return respond(problem);
    }

    @ExceptionHandler(ProfileNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(ProfileNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Profile not found", "There is no profile named '" + e.name() + "'. GET /api/v1/profiles lists them.");
    }

    @ExceptionHandler(ProfileConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ProfileConflictException e) {
        HttpStatus status = "version".equals(e.field()) ? HttpStatus.PRECONDITION_FAILED : HttpStatus.CONFLICT;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setTitle("version".equals(e.field()) ? "Profile changed meanwhile" : "Name already taken");
        problem.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
        return respond(problem);
    }

    @ExceptionHandler(BuildNotFoundException.class)
    ResponseEntity<ProblemDetail> buildNotFound(BuildNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Build not found", e.getMessage());
    }

    @ExceptionHandler(BuildApiController.ArtifactNotFoundException.class)
    ResponseEntity<ProblemDetail> artifactNotFound(BuildApiController.ArtifactNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Artifact not available", e.getMessage());
    }

    @ExceptionHandler(BuildRefusedException.class)
    ResponseEntity<ProblemDetail> buildRefused(BuildRefusedException e) {
        return problem(HttpStatus.CONFLICT, "Profile cannot be built yet", e.getMessage());
    }

    @ExceptionHandler(BuildQueueFullException.class)
    ResponseEntity<ProblemDetail> queueFull(BuildQueueFullException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
        problem.setTitle("Build queue full");
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds())).body(problem);
    }

    @ExceptionHandler(InsufficientSpaceException.class)
    ResponseEntity<ProblemDetail> noSpace(InsufficientSpaceException e) {
        return problem(HttpStatus.INSUFFICIENT_STORAGE, "Not enough free space", e.getMessage());
    }

    @ExceptionHandler(LabNotFoundException.class)
    ResponseEntity<ProblemDetail> labNotFound(LabNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Lab not found", e.getMessage());
    }

    @ExceptionHandler(LabLimitException.class)
    ResponseEntity<ProblemDetail> labLimit(LabLimitException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
        problem.setTitle("Too many labs");
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, "60").body(problem);
    }

    @ExceptionHandler({LabRefusedException.class, LabException.class})
    ResponseEntity<ProblemDetail> labRefused(RuntimeException e) {
        return problem(HttpStatus.CONFLICT, "Lab not possible", e.getMessage());
    }

    /** Thrown by controllers that check more than the URL rules can; the same 403 the filter chain gives. */
    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        return problem(HttpStatus.FORBIDDEN, "Not allowed", "Your role does not allow this: " + e.getMessage() + ".");
    }

    @ExceptionHandler(AccountException.class)
    ResponseEntity<ProblemDetail> account(AccountException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.field() + " " + e.getMessage());
        problem.setTitle("Invalid request");
        problem.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
        return respond(problem);
    }

    /** Spring Security's firewall refuses control characters and the like in headers and URLs. */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e) {
        return problem(HttpStatus.BAD_REQUEST, "Request rejected", "The request has characters that are not allowed in a header or URL (control characters, for example).");
    }

    /** A bug, not the client's fault: log it whole, tell the client little. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected error in a REST call", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The studio hit an internal error; its log has the details.");
        problem.setTitle("Internal error");
        return respond(problem);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return respond(problem);
    }

    private static String describe(String field, String message) {
        return field.isEmpty() ? message : field + " " + message;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
