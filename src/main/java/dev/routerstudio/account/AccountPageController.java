package dev.routerstudio.account;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Logging in, one's own password and API tokens, and (for admins) everyone's accounts. */
@Controller
@dev.routerstudio.web.StudioPage
public class AccountPageController {

    private final AccountService accounts;

    public AccountPageController(AccountService accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/login")
    String login() {
        return "account/login";
    }

    @GetMapping("/account")
    String account(Authentication who, Model model) {
        model.addAttribute("me", accounts.get(who.getName()));
        model.addAttribute("tokens", accounts.tokensOf(who.getName()));
        return "account/show";
    }

    @PostMapping("/account/tokens")
    String createToken(Authentication who, @RequestParam(defaultValue = "") String name, RedirectAttributes redirect) {
        try {
            AccountService.IssuedToken issued = accounts.issueToken(who.getName(), name);
            redirect.addFlashAttribute("newToken", issued.secret());
            redirect.addFlashAttribute("notice", "Created token " + issued.token().getName() + ". Copy it now: it is not shown again.");
        } catch (AccountException e) {
            redirect.addFlashAttribute("problem", "Token " + e.field() + " " + e.getMessage());
        }
        return "redirect:/account";
    }

    @PostMapping("/account/tokens/{id}/revoke")
    String revoke(Authentication who, @PathVariable long id, RedirectAttributes redirect) {
        accounts.revokeToken(id, who.getName(), isAdmin(who));
        redirect.addFlashAttribute("notice", "Revoked the token.");
        return isAdmin(who) && !accounts.tokensOf(who.getName()).stream().anyMatch(t -> t.getId() == id)
                ? "redirect:/admin/users" : "redirect:/account";
    }

    @PostMapping("/account/password")
    String changePassword(Authentication who, @RequestParam(defaultValue = "") String currentPassword,
                          @RequestParam(defaultValue = "") String newPassword, RedirectAttributes redirect) {
        try {
            accounts.changePassword(who.getName(), currentPassword, newPassword);
            redirect.addFlashAttribute("notice", "Password changed.");
        } catch (AccountException e) {
            redirect.addFlashAttribute("problem", ("currentPassword".equals(e.field()) ? "Current password " : "New password ") + e.getMessage());
        }
        return "redirect:/account";
    }

    @GetMapping("/admin/users")
    String users(Model model) {
        model.addAttribute("users", accounts.all());
        model.addAttribute("tokens", accounts.allTokens());
        model.addAttribute("roles", Role.values());
        return "account/users";
    }

    @PostMapping("/admin/users")
    String createUser(@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String password,
                      @RequestParam(defaultValue = "VIEWER") Role role, RedirectAttributes redirect) {
        try {
            accounts.create(username, password, role);
            redirect.addFlashAttribute("notice", "Created " + username + " (" + role.name().toLowerCase() + ").");
        } catch (AccountException e) {
            redirect.addFlashAttribute("problem", e.field() + " " + e.getMessage());
        }
        return "redirect:/admin/users";
    }

    @PostMapping("/admin/users/{username}")
    String updateUser(@PathVariable String username, @RequestParam Role role, @RequestParam(defaultValue = "false") boolean enabled,
                      @RequestParam(defaultValue = "") String newPassword, RedirectAttributes redirect) {
        try {
            accounts.update(username, role, enabled, newPassword);
            redirect.addFlashAttribute("notice", "Saved " + username + ".");
        } catch (AccountException e) {
            redirect.addFlashAttribute("problem", e.field() + " " + e.getMessage());
        }
        return "redirect:/admin/users";
    }

    private static boolean isAdmin(Authentication who) {
        return who.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN"));
    }
}
