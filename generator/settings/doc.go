// Package settings reads a program's configuration the one way every Shaps program does: each
// setting is declared once in a table, and its value comes from a flag, else its environment
// variable, else the config file named by -config or SHAPS_CONFIG, else its default.
package settings
