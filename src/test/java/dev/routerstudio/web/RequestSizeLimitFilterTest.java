package dev.routerstudio.web;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/** Only the firmware upload and a peer VM's upload may send more than studio.max-request-size, each only up to its own cap. */
class RequestSizeLimitFilterTest {

    final RequestSizeLimitFilter filter = new RequestSizeLimitFilter(DataSize.ofMegabytes(4), DataSize.ofMegabytes(8), DataSize.ofMegabytes(16));

    MockHttpServletResponse send(String method, String uri, int bytes) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
        request.setContent(new byte[bytes]);
        request.setContentType("multipart/form-data; boundary=x");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        if (chain.getRequest() != null) {
            response.setStatus(200);
        }
        return response;
    }

    @Test
    void theUploadPathHasItsOwnCapAndEveryOtherPathKeepsTheSmallOne() throws Exception {
        int sixMb = 6 << 20;
        assertThat(send("POST", "/api/v1/labs", sixMb).getStatus()).isEqualTo(200);
        MockHttpServletResponse other = send("POST", "/api/v1/profiles", sixMb);
        assertThat(other.getStatus()).isEqualTo(413);
        assertThat(other.getContentAsString()).contains("studio.max-request-size");
        assertThat(send("POST", "/api/v1/labs/x/console/router", sixMb).getStatus()).isEqualTo(413);
        MockHttpServletResponse big = send("POST", "/api/v1/labs", 9 << 20);
        assertThat(big.getStatus()).isEqualTo(413);
        assertThat(big.getContentAsString()).contains("studio.labs.max-upload-size");
        // a peer VM's image, from the API and the page: its own, larger cap
        int twelveMb = 12 << 20;
        assertThat(send("POST", "/api/v1/peers", twelveMb).getStatus()).isEqualTo(200);
        assertThat(send("POST", "/peers", twelveMb).getStatus()).isEqualTo(200);
        assertThat(send("POST", "/api/v1/labs", twelveMb).getStatus()).isEqualTo(413);
        assertThat(send("POST", "/peers/x/delete", sixMb).getStatus()).isEqualTo(413);
        MockHttpServletResponse huge = send("POST", "/api/v1/peers", 17 << 20);
        assertThat(huge.getStatus()).isEqualTo(413);
        assertThat(huge.getContentAsString()).contains("studio.peers.max-size");
    }
}
