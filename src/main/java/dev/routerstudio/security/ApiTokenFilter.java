package dev.routerstudio.security;

import dev.routerstudio.account.Account;
import dev.routerstudio.account.AccountService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Authenticates 'Authorization: Bearer rs_…' with a personal API token; a bad token is a 401 at once. */
final class ApiTokenFilter extends OncePerRequestFilter {

    private final AccountService accounts;

    ApiTokenFilter(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Account> account = accounts.authenticateToken(header.substring(7).trim());
        if (account.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"Router Studio\", error=\"invalid_token\"");
            ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED, "Invalid token",
                    "The API token is unknown or revoked. Create a new one under Account in the studio.");
            return;
        }
        Account a = account.get();
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(a.getUsername(), null,
                List.of(new SimpleGrantedAuthority(a.getRole().authority()))));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
