package dev.routerstudio.pipeline;

import dev.routerstudio.profile.ProfileSpec;
import dev.routerstudio.profile.ServiceCatalog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a profile asks of the image, gathered from image-pipeline/: packages/base.conf, the target's
 * folder, the WAN mode's folder and each service's service.conf. Adding a mode or service means adding a folder.
 */
public record ImageRecipe(String wanMode, boolean ppp, String uplink, List<String> packages, List<String> profilePackages,
                          List<String> paths, List<String> services, List<String> kernelFeatures,
                          List<String> bootFeatures, List<TemplateFile> files, List<ServiceCatalog.User> users) {

    /** A config file rendered from a template: where it goes, its mode, the template resource. */
    public record TemplateFile(String imagePath, int mode, String template) {
    }

    public static final String ROOT = "image-pipeline/";

    public static ImageRecipe of(ProfileSpec spec) {
        if (spec.wan() == null) {
            throw new PipelineException("the profile has no WAN mode");
        }
        String mode = spec.wan().mode();
        TargetSpec target = TargetSpec.load(spec.target());
        PipelineResources.Conf base = PipelineResources.conf(ROOT + "packages/base.conf");
        PipelineResources.Conf modeConf = PipelineResources.conf(ROOT + "wan/" + mode + "/mode.conf");
        Set<String> packages = new LinkedHashSet<>(base.list("packages"));
        Set<String> paths = new LinkedHashSet<>(base.list("paths"));
        paths.add(target.loader());
        Set<String> kernel = new LinkedHashSet<>(base.list("kernel"));
        kernel.addAll(target.kernelFeatures());
        List<TemplateFile> files = new ArrayList<>();
        Set<String> services = new LinkedHashSet<>(base.list("services"));

        packages.addAll(modeConf.list("packages"));
        paths.addAll(modeConf.list("paths"));
        kernel.addAll(modeConf.list("kernel"));
        files.addAll(templateFiles(modeConf, ROOT + "wan/" + mode + "/"));
        services.addAll(modeConf.list("services"));
        if (spec.ipv6Enabled()) {
            // The mode's IPv6 client (services.ipv6): a profile with IPv6 off has none at all.
            services.addAll(modeConf.list("services.ipv6"));
        }
        if (spec.interfaces() != null && spec.interfaces().wan() != null && spec.interfaces().wan().vlan() != null) {
            kernel.add("vlan");
        }

        for (String s : spec.services() == null ? List.<String>of() : spec.services()) {
            ServiceCatalog.Service known = ServiceCatalog.byId(s);
            if (known == null || !known.optional()) {
                throw new PipelineException("service '" + s + "' is not one of " + ServiceCatalog.optionalIds());
            }
            services.add(s);
        }
        for (String s : services) {
            String dir = ROOT + "services/" + s + "/";
            if (!PipelineResources.exists(dir + "type")) {
                throw new PipelineException("service '" + s + "' has no folder " + dir);
            }
            PipelineResources.Conf c = PipelineResources.conf(dir + "service.conf");
            packages.addAll(c.list("packages"));
            paths.addAll(c.list("paths"));
            kernel.addAll(c.list("kernel"));
            files.addAll(templateFiles(c, dir));
        }
        List<ServiceCatalog.User> users = new ArrayList<>();
        for (String s : services) {
            ServiceCatalog.Service known = ServiceCatalog.byId(s);
            if (known != null) {
                users.addAll(known.users());
            }
        }
        List<String> profilePackages = new ArrayList<>();
        for (String p : spec.packages() == null ? List.<String>of() : spec.packages()) {
            if (!p.matches("[a-z0-9][a-z0-9+.-]+")) {
                throw new PipelineException("'" + p + "' is not a Debian package name");
            }
            profilePackages.add(p);
            packages.add(p);
        }
        if (!profilePackages.isEmpty()) {
            // Data packages no Depends names (ncurses' terminal database); prune keeps them only when called for.
            PipelineResources.Conf data = PipelineResources.conf(ROOT + "packages/data.conf");
            data.keys().stream().filter(k -> k.endsWith(".when")).map(k -> k.substring(0, k.length() - ".when".length())).forEach(packages::add);
        }
        return new ImageRecipe(mode, Boolean.parseBoolean(modeConf.props().getProperty("ppp", "false").trim()), modeConf.get("uplink"), List.copyOf(packages), List.copyOf(profilePackages),
                List.copyOf(paths), List.copyOf(services), List.copyOf(kernel), target.bootFeatures(), List.copyOf(files), List.copyOf(users));
    }

    static List<TemplateFile> templateFiles(PipelineResources.Conf conf, String dir) {
        List<TemplateFile> out = new ArrayList<>();
        for (String f : conf.list("files")) {
            // /etc/ppp/peers/wan=peers-wan:0600
            int eq = f.indexOf('=');
            int colon = f.lastIndexOf(':');
            if (eq < 0 || colon < eq) {
                throw new PipelineException(conf.path() + ": bad files entry '" + f + "' (want /path=template:mode)");
            }
            out.add(new TemplateFile(f.substring(0, eq), Integer.parseInt(f.substring(colon + 1), 8), dir + f.substring(eq + 1, colon)));
        }
        return out;
    }
}
