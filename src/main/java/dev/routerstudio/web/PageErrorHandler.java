package dev.routerstudio.web;

import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Errors in pages ({@link StudioPage} controllers) become pages: a feature's exception carries its
 * own status and detail (ErrorResponse), so this handler knows no feature; anything else is a 500
 * that says where to look, never a stack trace.
 */
@ControllerAdvice(annotations = StudioPage.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class PageErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(PageErrorHandler.class);

    @ExceptionHandler(org.springframework.security.access.AccessDeniedException.class)
    String denied(Exception e, Model model, HttpServletResponse response) {
        return page(model, response, 403, "Your role does not allow this.");
    }

    /** The firewall checks parameter names when a form is bound (a field name with a line break, say). */
    @ExceptionHandler(org.springframework.security.web.firewall.RequestRejectedException.class)
    String rejected(Exception e, Model model, HttpServletResponse response) {
        return page(model, response, 400, "The form sent a field name with characters that are not allowed (control characters, for example).");
    }

    @ExceptionHandler(Exception.class)
    String unexpected(Exception e, Model model, HttpServletResponse response) {
        if (e instanceof ErrorResponse known) {
            String detail = known.getBody().getDetail();
            return page(model, response, known.getStatusCode().value(), detail != null ? detail : e.getMessage());
        }
        log.error("Unexpected error in a page", e);
        return page(model, response, 500, "The studio hit an internal error; its log has the details.");
    }

    private static String page(Model model, HttpServletResponse response, int status, String message) {
        response.setStatus(status);
        model.addAttribute("status", status);
        model.addAttribute("message", message);
        return "error";
    }
}
