package io.groundcontrol.security;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;

/** Creates a role's ACLs through the Admin API; creating an ACL that exists already changes nothing. */
public final class AclInstaller {
  private AclInstaller() {}

  /**
   * Creates every binding of {@code grants} for {@code principal} and waits for the cluster to take them.
   *
   * @return how many bindings were sent
   * @throws IllegalStateException if the cluster refuses (for example, no authorizer or no ALTER on the cluster)
   */
  public static int apply(Admin admin, List<Grant> grants, String principal) {
    List<AclBinding> bindings = new ArrayList<>();
    grants.forEach(grant -> bindings.addAll(grant.bindings(principal)));
    try {
      admin.createAcls(bindings).all().get(60, TimeUnit.SECONDS);
      return bindings.size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating ACLs for " + principal, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not create the ACLs of " + principal + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Timed out creating the ACLs of " + principal, e);
    }
  }
}
