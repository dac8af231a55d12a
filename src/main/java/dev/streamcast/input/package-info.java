/**
 * Reading a record of the readings topic: the {@code auto} format's parser and the {@code json}, {@code influx}
 * and {@code csv} mappings, each refusing what it cannot read with a reason of its own. Uses {@code config} and
 * {@code wire}.
 */
package dev.streamcast.input;
