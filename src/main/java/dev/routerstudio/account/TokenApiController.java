package dev.routerstudio.account;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** One's own API tokens over REST, e.g. for a CI job that logs in once with Basic and then uses a token. */
@RestController
@Tag(name = "Tokens", description = "Personal API tokens: sent as 'Authorization: Bearer rs_…'")
public class TokenApiController {

    private final AccountService accounts;

    public TokenApiController(AccountService accounts) {
        this.accounts = accounts;
    }

    public record TokenView(long id, String name, String prefix, Instant createdAt, Instant lastUsedAt, boolean active) {
        static TokenView of(ApiToken t) {
            return new TokenView(t.getId(), t.getName(), t.getTokenPrefix(), t.getCreatedAt(), t.getLastUsedAt(), t.isActive());
        }
    }

    /** The only time the token itself is returned. */
    public record IssuedTokenView(long id, String name, String token) {
    }

    @GetMapping("/api/v1/tokens")
    @Operation(summary = "Your tokens (never the secret itself)")
    public List<TokenView> mine(Authentication who) {
        return accounts.tokensOf(who.getName()).stream().map(TokenView::of).toList();
    }

    @PostMapping("/api/v1/tokens")
    @Operation(summary = "Create a token; the response is the only place it is ever shown")
    public ResponseEntity<IssuedTokenView> create(Authentication who, @RequestParam String name) {
        AccountService.IssuedToken issued = accounts.issueToken(who.getName(), name);
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new IssuedTokenView(issued.token().getId(), issued.token().getName(), issued.secret()));
    }

    @DeleteMapping("/api/v1/tokens/{id}")
    @Operation(summary = "Revoke one of your tokens (admins: anyone's)")
    public ResponseEntity<Void> revoke(Authentication who, @PathVariable long id) {
        accounts.revokeToken(id, who.getName(), who.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN")));
        return ResponseEntity.noContent().build();
    }
}
