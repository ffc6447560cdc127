// Imported ahead of `kafkajs` by every file of this package that loads it: the
// modules these swap are held by kafkajs from the moment it is loaded.
import './read-committed.ts';
import './message-grouping.ts';
import './request-queue.ts';
import './record-decoding.ts';
