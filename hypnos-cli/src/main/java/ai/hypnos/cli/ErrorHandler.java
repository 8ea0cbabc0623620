package ai.hypnos.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception from a command into one clear line on stderr and a non-zero exit code.
 * Users see "hypnos: <file>: field 'x' = 'y': problem", not a stack trace; {@code --verbose}
 * style debugging is available through {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ErrorHandler.class);

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        LOG.debug("command failed", ex);
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        cmd.getErr().println("hypnos " + cmd.getCommandName() + ": " + msg);
        cmd.getErr().flush();
        return ex instanceof IllegalArgumentException || ex instanceof CommandLine.ParameterException ? 2 : 1;
    }
}
