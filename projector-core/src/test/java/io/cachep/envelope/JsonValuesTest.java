package io.cachep.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rules read data values by their Java types: the direct walk must give exactly what Jackson's conversion gives. */
class JsonValuesTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"s\":\"x\",\"b\":true,\"f\":false,\"n\":null}",
            "{\"i\":1,\"neg\":-7,\"big\":2147483648,\"huge\":123456789012345678901234567890,\"d\":1.5,\"e\":1e20,\"z\":0.0}",
            "{\"nested\":{\"a\":[1,\"two\",{\"three\":3.0},[],null]},\"order\":{\"z\":1,\"a\":2,\"m\":3}}",
            "{\"unicode\":\"caf\\u00e9 \\ud83d\\ude00\",\"empty\":\"\",\"arr\":[[[]]]}"})
    void shouldGiveWhatJacksonsConversionGives(String json) throws Exception {
        JsonNode node = CloudEventAttributes.MAPPER.readTree(json);
        Map<String, Object> expected = CloudEventAttributes.MAPPER.convertValue(node, new TypeReference<>() {});
        Map<String, Object> actual = JsonValues.toMap(node);
        assertThat(actual).isEqualTo(expected);
        assertThat(String.valueOf(actual)).isEqualTo(String.valueOf(expected)); // same order and number types
        assertThat(classes(actual)).isEqualTo(classes(expected));
    }

    private static String classes(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> out.append(k).append('=').append(classes(v)).append(','));
            return out.append('}').toString();
        }
        if (value instanceof java.util.List<?> list) {
            StringBuilder out = new StringBuilder("[");
            list.forEach(v -> out.append(classes(v)).append(','));
            return out.append(']').toString();
        }
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
