package dev.routerstudio.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What /v3/api-docs says about the studio itself, and how to authenticate. */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    OpenAPI studioApi() {
        return new OpenAPI()
                .info(new Info().title("Router Studio API").version("v1")
                        .description("Describe a router, build its MIPS firmware in the background, boot it in QEMU against "
                                + "emulated ISP peers and check that it works. Send an API token as 'Authorization: Bearer rs_…' "
                                + "(POST /api/v1/tokens with HTTP Basic creates one) or use HTTP Basic."))
                .components(new Components()
                        .addSecuritySchemes("token", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer"))
                        .addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")))
                .addSecurityItem(new SecurityRequirement().addList("token"))
                .addSecurityItem(new SecurityRequirement().addList("basic"));
    }
}
