package io.cachep.client;

/** An entry was read as one type (e.g. a hash) but Redis holds another (e.g. a string): the rules file says which. */
public class WrongEntryTypeException extends CachepClientException {
    public WrongEntryTypeException(String message) {
        super(message);
    }
}
