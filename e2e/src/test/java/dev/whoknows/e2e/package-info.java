/** End-to-end tests: real frontend + stub backend in-process, Debian's Chromium through Selenium. */
package dev.whoknows.e2e;
