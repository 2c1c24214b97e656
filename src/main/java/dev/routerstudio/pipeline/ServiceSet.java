package dev.routerstudio.pipeline;

import java.util.List;
import java.util.Map;

/**
 * The generated services: the s6-rc source directories (service → file name → bytes), the
 * graph, and the boot order compiled from it.
 */
public record ServiceSet(Map<String, Map<String, byte[]>> sources, ServiceGraph graph, List<String> bootOrder,
                         List<String> producers) {
}
