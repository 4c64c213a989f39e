"""The checks, one module per unit. Each test is tagged with its task and weight."""
