package dev.routerstudio.web;

import dev.routerstudio.account.AccountException;
import dev.routerstudio.account.AccountPageController;
import dev.routerstudio.build.BuildNotFoundException;
import dev.routerstudio.build.BuildPageController;
import dev.routerstudio.profile.ProfileNotFoundException;
import dev.routerstudio.profile.ProfilePageController;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;

/** Errors in pages become pages: a friendly 404 and a 500 that says where to look, never a stack trace. */
@ControllerAdvice(assignableTypes = {ProfilePageController.class, AccountPageController.class, BuildPageController.class, dev.routerstudio.lab.web.LabPageController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
public class PageErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(PageErrorHandler.class);

    @ExceptionHandler(ProfileNotFoundException.class)
    String notFound(ProfileNotFoundException e, Model model, HttpServletResponse response) {
        return page(model, response, 404, "There is no profile named '" + e.name() + "'.");
    }

    @ExceptionHandler(BuildNotFoundException.class)
    String buildNotFound(BuildNotFoundException e, Model model, HttpServletResponse response) {
        return page(model, response, 404, "There is no such build.");
    }

    @ExceptionHandler(dev.routerstudio.lab.web.LabNotFoundException.class)
    String labNotFound(RuntimeException e, Model model, HttpServletResponse response) {
        return page(model, response, 404, e.getMessage());
    }

    @ExceptionHandler(AccountException.class)
    String accountProblem(AccountException e, Model model, HttpServletResponse response) {
        return page(model, response, 404, e.getMessage());
    }

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
            return page(model, response, known.getStatusCode().value(),
                    "The request could not be handled: " + known.getBody().getDetail());
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
