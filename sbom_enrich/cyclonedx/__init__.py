"""CycloneDX in and out: read and validate a document, add to it, write it back."""
