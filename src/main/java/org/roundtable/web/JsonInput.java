package org.roundtable.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * JSON bodies take each field in its own JSON type, as the OpenAPI document says: text as a JSON string, numbers as
 * numbers, true/false as booleans. Jackson's default coerces scalars into one another, so {@code "title": 12345} made a
 * thread titled "12345" and {@code "body": true} a post reading "true"; a client with a bug got a post instead of an
 * error. Coercion is off for every API body; the refusal is a 400 naming the field ({@link ErrorMapper#json}).
 */
@Singleton
public class JsonInput implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        // text from numbers or booleans
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // numbers and booleans from text ("12"), booleans from numbers, whole numbers from 1.5
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        mapper.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
        for (LogicalType type : new LogicalType[] { LogicalType.Integer, LogicalType.Float, LogicalType.Boolean }) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    }

    /** The field (dotted path, list positions as numbers) a mapping error is about, or null for the body as a whole. */
    static String fieldOf(JsonMappingException e) {
        if (e.getPath() == null || e.getPath().isEmpty()) {
            return null;
        }
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
                .collect(Collectors.joining("."));
    }

    /** "title: send text (a JSON string), not a number." */
    static String describe(JsonProcessingException e, String field) {
        String expected = e instanceof MismatchedInputException m && m.getTargetType() != null
                ? expected(m.getTargetType()) : "another kind of value";
        String got = e.getProcessor() instanceof JsonParser parser ? got(parser.currentToken()) : null;
        return "The field \"" + field + "\" takes " + expected + (got == null ? "" : ", not " + got) + ".";
    }

    private static String expected(Class<?> type) {
        if (type == String.class || type.isEnum()) {
            return "text (a JSON string)";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list (a JSON array)";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "a date and time as text, like \"2026-12-31T18:00:00Z\"";
        }
        return "a JSON object";
    }

    private static String got(JsonToken token) {
        if (token == null) {
            return null;
        }
        return switch (token) {
            case VALUE_STRING -> "text";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true or false";
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
            case START_ARRAY, END_ARRAY -> "a list";
            case VALUE_NULL -> "null";
            default -> null;
        };
    }
}
