package dev.routerstudio.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Caps request bodies (studio.max-request-size, default 4 MB: a profile holds at most 32 files of
 * 64 KiB). A declared length over the cap is refused at once with 413; a chunked body is cut
 * off when it passes the cap.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final long max;

    public RequestSizeLimitFilter(@Value("${studio.max-request-size:4MB}") DataSize max) {
        this.max = max.toBytes();
    }

    /** What a capped body throws once it grows past the cap. */
    public static class TooLargeException extends IOException {
        TooLargeException(long max) {
            super("the request body is larger than " + max + " bytes");
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > max) {
            response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            response.setContentType("application/problem+json");
            response.getOutputStream().write(("{\"title\":\"Request too large\",\"status\":413,\"detail\":\"The body is "
                    + request.getContentLengthLong() + " bytes; the limit is " + max + " (studio.max-request-size).\"}")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(new HttpServletRequestWrapper(request) {
            private ServletInputStream capped;

            @Override
            public ServletInputStream getInputStream() throws IOException {
                if (capped == null) {
                    capped = new Capped(super.getInputStream(), max);
                }
                return capped;
            }
        }, response);
    }

    private static final class Capped extends ServletInputStream {
        private final ServletInputStream in;
        private final long max;
        private long read;

        Capped(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        private int count(int n) throws IOException {
            if (n > 0) {
                read += n;
                if (read > max) {
                    throw new TooLargeException(max);
                }
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return count(in.read(b, off, len));
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
