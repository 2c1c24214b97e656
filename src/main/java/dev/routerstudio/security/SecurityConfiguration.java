package dev.routerstudio.security;

import dev.routerstudio.account.AccountService;
import dev.routerstudio.node.NodeProperties;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may do what. Pages log in with a form (session cookie, CSRF on every form); scripts send
 * a personal API token as a Bearer header or use HTTP Basic. Without credentials an /api call
 * gets 401 problem+json, with too small a role 403. Reading needs VIEWER, changing needs BUILDER,
 * accounts need ADMIN. Other nodes of the studio send the shared node secret (NodeSecretFilter)
 * and may do what a BUILDER may. Only /login, static assets and the health endpoint are open.
 */
@Configuration
@EnableWebSecurity
public class SecurityConfiguration {

    /** Only the studio's own scripts and styles; no framing. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /** The lab page's terminal (xterm.js) writes its own <style> elements; scripts stay as strict as elsewhere. */
    static final String LAB_CSP = CSP.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';");

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role("ADMIN").implies("BUILDER")
                .role("BUILDER").implies("VIEWER")
                .build();
    }

    @Bean
    SecurityFilterChain studio(HttpSecurity http, AccountService accounts, NodeProperties node) throws Exception {
        ProblemResponses problems = new ProblemResponses();
        RequestMatcher api = request -> request.getRequestURI().startsWith("/api/");
        // CSRF rides on a session cookie: requests that authenticate themselves, or API calls that
        // bring no session, cannot be forged that way (and then get a clean 401 instead of a CSRF 403)
        RequestMatcher scripted = request -> request.getHeader("Authorization") != null
                || request.getHeader(NodeProperties.SECRET_HEADER) != null
                || (request.getRequestURI().startsWith("/api/") && request.getRequestedSessionId() == null);
        http
                .authorizeHttpRequests(auth -> auth
                        // the request was authorized when it started; its async (SSE) and error dispatches go on
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers("/login", "/css/**", "/js/**", "/img/**", "/favicon.ico", "/error",
                                "/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/admin/**").hasRole("ADMIN")
                        .requestMatchers("/account/**", "/logout", "/api/v1/tokens", "/api/v1/tokens/**").hasRole("VIEWER")
                        .requestMatchers(HttpMethod.GET, "/**").hasRole("VIEWER")
                        .requestMatchers(HttpMethod.HEAD, "/**").hasRole("VIEWER")
                        .anyRequest().hasRole("BUILDER"))
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/profiles").permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .httpBasic(basic -> basic.realmName("Router Studio").authenticationEntryPoint(problems))
                .addFilterBefore(new ApiTokenFilter(accounts), BasicAuthenticationFilter.class)
                // another node of this studio (labs started through it run here)
                .addFilterBefore(new NodeSecretFilter(node), BasicAuthenticationFilter.class)
                // scripts authenticate every request themselves; forms in the browser carry a CSRF token
                .csrf(csrf -> csrf.ignoringRequestMatchers(scripted))
                .exceptionHandling(ex -> ex
                        .defaultAuthenticationEntryPointFor(problems, api)
                        .defaultAccessDeniedHandlerFor(problems, api))
                .headers(headers -> headers
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                                request -> request.getRequestURI().startsWith("/labs/"),
                                new StaticHeadersWriter("Content-Security-Policy", LAB_CSP)))
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                                request -> !request.getRequestURI().startsWith("/labs/"),
                                new StaticHeadersWriter("Content-Security-Policy", CSP)))
                        .frameOptions(frame -> frame.deny())
                        .referrerPolicy(ref -> ref.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
        return http.build();
    }
}
