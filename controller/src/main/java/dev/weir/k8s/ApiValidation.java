package dev.weir.k8s;

import java.util.regex.Pattern;

/**
 * The API server's syntax rules for names, label keys and values and port names (apimachinery's validation package),
 * so that what the API server would refuse is refused here with the same words.
 */
final class ApiValidation {

    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern IANA_SVC_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    private ApiValidation() {
    }

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    /** Why {@code name} is not a valid object name (an RFC 1123 subdomain), or null. */
    static String objectNameProblem(String name) {
        if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            return "invalid name \"" + name + "\": must be a lower-case RFC 1123 subdomain (letters, digits, '-' and '.', "
                    + "starting and ending with a letter or digit, at most 253 characters)";
        }
        return null;
    }

    /** Why {@code name} is not a valid namespace name (an RFC 1123 label), or null. */
    static String namespaceNameProblem(String name) {
        if (name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
            return "invalid namespace \"" + name + "\": must be a lower-case RFC 1123 label (letters, digits and '-', "
                    + "starting and ending with a letter or digit, at most 63 characters)";
        }
        return null;
    }

    /** Why {@code key} is not a qualified name ({@code [prefix/]name}), or null when it is one. */
    static String labelKeyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return "label key must not be empty";
        }
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return "label key \"" + key + "\": prefix must be a DNS subdomain (lower case, at most 253 characters)";
            }
        }
        if (name.isEmpty() || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
            return "label key \"" + key + "\": name must be at most 63 characters of [A-Za-z0-9-_.], "
                    + "beginning and ending with an alphanumeric character";
        }
        return null;
    }

    /** Why {@code value} is not a valid label value, or null. */
    static String labelValueProblem(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > 63 || !LABEL_NAME.matcher(value).matches()) {
            return "label value \"" + value + "\" must be at most 63 characters of [A-Za-z0-9-_.], "
                    + "beginning and ending with an alphanumeric character";
        }
        return null;
    }

    /** Why {@code name} is not an IANA_SVC_NAME (a container or policy port name), or null. */
    static String portNameProblem(String name) {
        if (name.length() > 15) {
            return "port name \"" + name + "\" must be no more than 15 characters";
        }
        if (!IANA_SVC_NAME.matcher(name).matches() || name.contains("--")) {
            return "port name \"" + name + "\" must contain only lower-case letters, digits and single hyphens, "
                    + "beginning and ending with a letter or digit";
        }
        if (name.chars().noneMatch(c -> c >= 'a' && c <= 'z')) {
            return "port name \"" + name + "\" must contain at least one letter";
        }
        return null;
    }
}
