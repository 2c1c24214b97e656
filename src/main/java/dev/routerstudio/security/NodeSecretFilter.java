package dev.routerstudio.security;

import dev.routerstudio.node.NodeProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Authenticates another node of this studio by the shared secret (studio.node.secret) in
 * {@value NodeProperties#SECRET_HEADER}: it may do what a BUILDER may, and {@link #isNodeCall()}
 * tells the lab endpoints to answer for this node's own labs only. A wrong secret, or one sent
 * to a node that has none, is a 401 at once.
 */
public final class NodeSecretFilter extends OncePerRequestFilter {

    static final String AUTHORITY = "ROLE_NODE";

    private final byte[] secret;

    NodeSecretFilter(NodeProperties node) {
        this.secret = node.secret() == null ? null : node.secret().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the current request came from another node (and must not be sent on to a third). */
    public static boolean isNodeCall() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        return a != null && a.getAuthorities().stream().anyMatch(g -> AUTHORITY.equals(g.getAuthority()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader(NodeProperties.SECRET_HEADER);
        if (given == null) {
            chain.doFilter(request, response);
            return;
        }
        if (secret == null || !MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8))) {
            ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED, "Unknown node",
                    secret == null ? "This node takes no calls from other nodes: set studio.node.secret (the same on every node)."
                            : "The node secret does not match: every node of one studio needs the same studio.node.secret.");
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("node", null,
                List.of(new SimpleGrantedAuthority("ROLE_BUILDER"), new SimpleGrantedAuthority(AUTHORITY))));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
