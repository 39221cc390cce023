"""The ground floor: helpers every app may import; it imports no project app."""
