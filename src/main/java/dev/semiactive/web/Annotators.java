package dev.semiactive.web;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.regex.Pattern;

/**
 * Annotator names: they name who labelled a region ({@code labels.labelled_by}) and who holds a lease.
 * They identify, they do not authenticate (the access token does that), so the only rule is a short,
 * printable, unambiguous name.
 */
final class Annotators {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private Annotators() {
    }

    static String require(JsonNode node) {
        if (node == null || node.isNull())
            throw ApiException.badRequest("'annotator' is missing: send your name, e.g. {\"annotator\": \"alice\"}");
        if (!node.isTextual())
            throw ApiException.badRequest("'annotator' must be a string, not " + node);
        return require(node.textValue());
    }

    static String require(String name) {
        if (!NAME.matcher(name).matches())
            throw ApiException.badRequest("annotator name '" + abbreviate(name) + "' is not allowed: use 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        return name;
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "..." : clean;
    }
}
